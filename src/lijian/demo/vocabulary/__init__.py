"""What the demo world says: its organisations, people, accounts and texts. Data only."""
