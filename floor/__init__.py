"""The floor every lingong package stands on: people's data rules, time, storage, logs. It imports
no other lingong package."""

__version__ = "0.1.0"
