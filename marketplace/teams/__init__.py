"""Teams (afdelingen) of a gemeente, and who owns the follow-up of each initiative and pledge:
an owning team and a responsible person, so that reminders reach someone and the desk can be
read per team and per person."""
