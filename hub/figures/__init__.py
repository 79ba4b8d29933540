"""Market figures: what a station placed today, orders done, the week's top takers — read across
applications, household orders and workers, and published to the feed."""
