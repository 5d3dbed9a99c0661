"""The guidance files of the ledger bundle: material_reviews.csv, review_rounds.csv,
self_inspections.csv, assessment_indicators.csv, assessment_scores.csv and naming_candidates.csv."""

from . import indicators, naming, review_rounds, reviews, scores, self_inspections  # noqa: F401  each registers its file
