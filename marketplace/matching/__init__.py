"""Match suggestions: offers that fit a need or request nearby, and the other way round."""
