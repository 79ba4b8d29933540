"""Job fairs (招聘会) with queue calling (叫号): booths, numbers taken with the card, called from the booth."""
