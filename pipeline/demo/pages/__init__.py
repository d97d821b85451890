"""HTML templates of the demo news site (string.Template; no literal dollar signs)."""
