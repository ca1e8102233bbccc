"""Evaluation and supervision (Art 35, 37, 39): rectification notices (通知整改) from the
supervising bureau to agencies. The public statistics page lives in portal/ (stats.py)."""
