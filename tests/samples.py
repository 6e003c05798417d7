"""Sample inputs shared by the tests: the seed article the project started from."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "bot" / "samples" / "armenia-azerbaijan-blinken.txt"
SEED_URL = "https://news.example/armenia-azerbaijan"
