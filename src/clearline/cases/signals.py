"""What other capabilities may react to, without the case engine knowing them."""

from django.dispatch import Signal

case_opened = Signal()  # sent with ``case`` once a new case is committed, from every channel
case_resolved = Signal()  # sent with ``case`` once a resolution is committed
