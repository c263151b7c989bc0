"""Answering: a question in, ranked verbatim quotes or an honest abstention out."""
