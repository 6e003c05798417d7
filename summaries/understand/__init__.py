"""What an article says: sentences, people, quotes and who said them, summaries, embeddings."""
