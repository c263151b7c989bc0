"""Text: one analyzer for corpus and questions (normalize, stopwords, stems) and the word tables."""
