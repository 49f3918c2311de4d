"""What a notification says, in the reader's language."""

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.auth.models import Role
from marketplace.listings.models import ListingKind
from marketplace.notifications.models import ModerationEvent, Notification, NotificationKind

K = NotificationKind
SUBJECTS = {
    K.COMMITMENT_NEW: _l("Someone responded to your listing"),
    K.COMMITMENT_ACCEPTED: _l("Your response was accepted"),
    K.COMMITMENT_DECLINED: _l("Your response was declined"),
    K.COMMITMENT_WITHDRAWN: _l("A response was withdrawn"),
    K.MESSAGE_NEW: _l("New message on Buurtmarkt"),
    K.MATCH_SUGGESTION: _l("Matches for your listing"),
    K.LISTING_UPDATE: _l("News from an initiative you follow"),
    K.OWNERSHIP: _l("Who runs an initiative changed"),
    K.GEMEENTE: _l("The gemeente took a role on an initiative"),
    K.PLEDGE: _l("News about a pledge of the gemeente"),
    K.REMINDER: _l("Overdue: an initiative waits for the gemeente"),
    K.COMMENT: _l("A new comment on Buurtmarkt"),
    K.MODERATION: _l("A decision about what you posted"),
    K.QUEUE: _l("New in your moderation queue"),
    K.INTRODUCTION: _l("A wijkwerker thinks this may fit"),
    K.NUDGE: _l("Is your listing still current?"),
    K.NEED_DUE: _l("A need is still open close to its date"),
    K.BUURT_LISTING: _l("New in a buurt you follow"),
    K.BUURT_QUESTION: _l("A resident wrote to you as wijkwerker"),
    K.BUURT_ANSWER: _l("The wijkwerker answered you"),
    "digest": _l("Your Buurtmarkt news of today"),
}
KIND_NAMES = {
    K.COMMITMENT_NEW: _l("Responses to my listings"),
    K.COMMITMENT_ACCEPTED: _l("My response accepted"),
    K.COMMITMENT_DECLINED: _l("My response declined"),
    K.COMMITMENT_WITHDRAWN: _l("A response withdrawn"),
    K.MESSAGE_NEW: _l("Messages"),
    K.MATCH_SUGGESTION: _l("Match suggestions"),
    K.LISTING_UPDATE: _l("Updates of initiatives I follow"),
    K.OWNERSHIP: _l("Co-initiators and handovers"),
    K.GEMEENTE: _l("The gemeente's role on my initiatives"),
    K.PLEDGE: _l("Pledges of the gemeente"),
    K.REMINDER: _l("Reminders for gemeente staff"),
    K.COMMENT: _l("Comments on my listings and replies to my comments"),
    K.MODERATION: _l("Moderators' decisions about what I posted"),
    K.QUEUE: _l("New items in my moderation queue (wijkwerkers)"),
    K.INTRODUCTION: _l("Introductions by the wijkwerker"),
    K.NUDGE: _l("A question when my listing has been quiet for a while"),
    K.NEED_DUE: _l("A reminder when a need is still open close to its date"),
    K.BUURT_LISTING: _l("New listings in buurten I follow"),
    K.BUURT_QUESTION: _l("Questions of residents to me as wijkwerker"),
    K.BUURT_ANSWER: _l("Answers of the wijkwerker to my questions"),
}


def _decider(notification: Notification) -> str:
    """Who decided, by the role they decide in: the wijkwerker of the area, else the gemeente's
    admin, else an admin of Buurtmarkt (moderation falls back in that order)."""
    actor = notification.actor
    if actor is None or actor.holds(Role.WIJKWERKER):
        return _("wijkwerker")
    if actor.holds(Role.GEMEENTE_ADMIN):
        return _("gemeente admin")
    if actor.holds(Role.ADMIN):
        return _("Buurtmarkt admin")
    return _("moderator")  # who no longer holds the role they decided in


def _moderation_sentence(notification: Notification, title: str) -> str:
    E = ModerationEvent
    role = _decider(notification)
    sentences = {
        E.APPROVED: _("Approved: “%(title)s” is published.", title=title),
        E.HIDDEN: _("The %(role)s hid your contribution on “%(title)s”.", role=role,
                    title=title),
        E.HIDDEN_BY_FLAGS: _("Your contribution on “%(title)s” was reported several times and "
                             "is hidden until a wijkwerker looks at it.", title=title),
        E.RESTORED: _("The %(role)s restored your contribution on “%(title)s”.", role=role,
                      title=title),
        E.MOVED: _("The %(role)s changed the category or buurt of “%(title)s”.", role=role,
                   title=title),
        E.WARNED: _("A warning from the %(role)s about “%(title)s”.", role=role, title=title),
        E.SUSPENDED: _("You are suspended: until then you cannot post, comment or send "
                       "messages, and what you posted is hidden."),
        E.UNSUSPENDED: _("Your suspension is lifted."),
        E.QUEUED: _("New in your moderation queue: “%(title)s”.", title=title),
        E.ESCALATED: _("A wijkwerker asks an admin to decide about “%(title)s”.", title=title),
        # The title is in the note: what was hidden may no longer be shown to the reporter.
        E.REPORT_HIDDEN: _("Thank you for your report about “%(title)s”: the %(role)s hid it.",
                           role=role, title=notification.note or title),
        E.REPORT_KEPT: _("The %(role)s looked at your report about “%(title)s” and left it as "
                         "it is.", role=role, title=notification.note or title),
    }
    sentence = sentences[notification.event]
    if notification.note and notification.event not in (E.REPORT_HIDDEN, E.REPORT_KEPT):
        sentence = _("%(sentence)s Reason: %(reason)s", sentence=sentence,
                     reason=notification.note)
    return sentence


def _match_sentence(listing, count: int) -> str:
    """Matches are told to the owner of the listing they fit, counted."""
    if listing.kind is ListingKind.OFFER:
        return ngettext("%(num)d need nearby may fit your offer “%(title)s”.",
                        "%(num)d needs nearby may fit your offer “%(title)s”.",
                        count, title=listing.title)
    return ngettext("%(num)d offer nearby may fit “%(title)s”.",
                    "%(num)d offers nearby may fit “%(title)s”.", count, title=listing.title)


def _grouped_sentence(notification: Notification, actor: str, title: str) -> str | None:
    """Several events gathered in one notification."""
    count = notification.count
    if count == 1:
        return None
    sentences = {
        K.COMMENT: lambda: ngettext("%(num)d new comment on “%(title)s”.",
                                    "%(num)d new comments on “%(title)s”.", count, title=title),
        K.LISTING_UPDATE: lambda: ngettext("%(num)d new update on “%(title)s”.",
                                           "%(num)d new updates on “%(title)s”.", count,
                                           title=title),
        K.MESSAGE_NEW: lambda: ngettext(
            "%(name)s sent you %(num)d message about “%(title)s”.",
            "%(name)s sent you %(num)d messages about “%(title)s”.", count,
            name=actor, title=title),
    }
    if notification.kind is K.QUEUE:
        return ngettext("%(num)d new item in your moderation queue.",
                        "%(num)d new items in your moderation queue.", count)
    return sentences[notification.kind]() if notification.kind in sentences else None


def _sentence(notification: Notification) -> str:
    actor = notification.actor.display_name if notification.actor else _("Someone")
    title = notification.listing.title if notification.listing else ""
    if notification.kind is K.MATCH_SUGGESTION and notification.listing is not None:
        return _match_sentence(notification.listing, notification.count)
    grouped = _grouped_sentence(notification, actor, title)
    if grouped is not None:
        return grouped
    if notification.event is not None:
        return _moderation_sentence(notification, title)
    sentences = {
        K.COMMITMENT_NEW: _("%(name)s responded to “%(title)s”.", name=actor, title=title),
        K.COMMITMENT_ACCEPTED: _("%(name)s accepted your response to “%(title)s”.", name=actor,
                                 title=title),
        K.COMMITMENT_DECLINED: _("%(name)s declined your response to “%(title)s”.", name=actor,
                                 title=title),
        K.COMMITMENT_WITHDRAWN: _("%(name)s withdrew from “%(title)s”.", name=actor, title=title),
        K.MESSAGE_NEW: _("%(name)s sent you a message about “%(title)s”.", name=actor,
                         title=title),
        K.LISTING_UPDATE: _("New update on “%(title)s”.", title=title),
        K.OWNERSHIP: _("%(name)s: a change in who runs “%(title)s”. Have a look.", name=actor,
                       title=title),
        K.GEMEENTE: _("The gemeente stated its role on “%(title)s”.", title=title),
        K.PLEDGE: _("News about the gemeente's pledges to “%(title)s”.", title=title),
        K.REMINDER: _("Overdue: “%(title)s” waits for an answer or a promised delivery.",
                      title=title),
        K.COMMENT: _("%(name)s commented on “%(title)s”.", name=actor, title=title),
        K.NUDGE: (_("“%(title)s” has been quiet for a while. Is it still current? Post news, "
                    "say it still runs, or close it.", title=title)
                  if notification.listing is None
                  or notification.listing.kind is ListingKind.INITIATIVE else
                  _("Nobody has responded to “%(title)s” for a while. Is it still current? "
                    "Say it still runs, change it, or close it.", title=title)),
        K.BUURT_LISTING: _("New in %(buurt)s: “%(title)s”.", buurt=notification.note or "",
                           title=title),
        K.BUURT_QUESTION: _("%(name)s from %(buurt)s wrote to you as wijkwerker.", name=actor,
                            buurt=notification.note or ""),
        K.BUURT_ANSWER: _("%(name)s, wijkwerker of %(buurt)s, answered your question.",
                          name=actor, buurt=notification.note or ""),
        K.NEED_DUE: _("“%(need)s” for “%(title)s” is still open and its date is near. Post "
                      "news to find help, change the date, or close it.",
                      need=notification.note or "", title=title),
        K.INTRODUCTION: _("%(name)s, the wijkwerker, thinks “%(other)s” may fit your "
                          "“%(title)s”. Have a look and get in touch.", name=actor,
                          other=notification.note or "", title=title),
    }
    return sentences[notification.kind]


def describe(notification: Notification, locale: str | None = None) -> str:
    """One sentence about the notification, in ``locale`` (or the current language)."""
    if locale is None:
        return _sentence(notification)
    with force_locale(locale):
        return _sentence(notification)
