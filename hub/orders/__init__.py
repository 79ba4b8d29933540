"""Household orders: a resident posts a small job, staff review and dispatch it, a worker takes it."""
