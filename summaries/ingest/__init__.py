"""Where an article comes from: fetching, feeds, main-text extraction, canonical URLs, and the
pipeline that takes a source to a stored article."""
