"""Announcements: policy, training, job fairs, services, and the emergency override for walls."""
