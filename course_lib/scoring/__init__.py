"""Scoring: pure functions from answers to scores (inventory, case placement, comparison)."""
