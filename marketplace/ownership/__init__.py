"""Who runs an initiative: co-initiators, handing it over, and the history of its owners."""
