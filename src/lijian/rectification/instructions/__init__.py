"""Leaders' written instructions (批示) on a problem, a clue or a petition, followed up until closed.

They live in rectification, above findings and petitions, because an instruction may point at a
record of either: kept in findings, ``Instruction`` → ``Petition`` and ``Petition`` → ``Clue`` made
the two apps' models point at each other."""
