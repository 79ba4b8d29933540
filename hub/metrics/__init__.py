"""The hub's own figures for Prometheus (/metrics): instruments, the request timer and the route."""
