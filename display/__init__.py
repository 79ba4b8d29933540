"""The wall display: postings rotating on LED walls and lobby screens, fresh to the second."""
