"""Mail and push messages that must arrive: written with the event, sent by the worker."""


class Undeliverable(Exception):
    """The provider said no for good (an address that does not exist, a push subscription
    that ended): trying again would not help."""
