"""Candidate data rights: export, erasure and the retention policy."""
