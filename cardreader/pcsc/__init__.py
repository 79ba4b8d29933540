"""Cards in PC/SC readers: APDUs, the social-security card application, anonymous chip serials."""
