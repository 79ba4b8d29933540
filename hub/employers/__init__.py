"""Employers, with unified social credit codes and verification."""
