"""Plain words for the gemeente's roles and pledges."""

from flask_babel import lazy_gettext as _l

from marketplace.accountability.models import GemeenteRole, PledgeKind, PledgeStatus

R = GemeenteRole
# The everyday choices first; regulating and directing only where the situation asks.
ROLE_LABELS = {
    R.FACILITATING: _l("Facilitating (faciliterend)"),
    R.PARTICIPATING: _l("Participating (deelnemend)"),
    R.LETTING_GO: _l("Letting go (loslatend)"),
    R.REGULATING: _l("Regulating (regelgevend)"),
    R.DIRECTING: _l("Directing (regisserend)"),
}
ROLE_SENTENCES = {
    R.FACILITATING: _l("The gemeente facilitates this initiative since %(date)s."),
    R.PARTICIPATING: _l("The gemeente takes part in this initiative since %(date)s."),
    R.LETTING_GO: _l("The gemeente consciously leaves this initiative to the residents since "
                     "%(date)s."),
    R.REGULATING: _l("The gemeente sets the rules for this initiative since %(date)s."),
    R.DIRECTING: _l("The gemeente directs this initiative since %(date)s."),
}
PLEDGE_LABELS = {
    PledgeKind.BUDGET: _l("Budget (€)"),
    PledgeKind.STAFF_HOURS: _l("Staff hours"),
    PledgeKind.SPACE: _l("Space"),
    PledgeKind.MATERIALS: _l("Materials"),
    PledgeKind.PERMIT_HELP: _l("Help with permits"),
    PledgeKind.PUBLICITY: _l("Publicity"),
}
PLEDGE_STATUS_LABELS = {
    PledgeStatus.PLEDGED: _l("promised"),
    PledgeStatus.DELIVERED: _l("delivered"),
    PledgeStatus.CONTESTED: _l("contested: the initiator misses something"),
    PledgeStatus.WITHDRAWN: _l("withdrawn"),
}
