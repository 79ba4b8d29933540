"""技能培训: courses a market offers, the workers signed up for them, attendance and completion."""
