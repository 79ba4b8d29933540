"""The real transports under the protocol core: pyserial for SAM readers, pyscard for PC/SC."""
