"""The project as the unit (SPEC §1 "In view"): per-file summaries linked across files."""
