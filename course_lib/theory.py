"""An ILLUSTRATIVE, made-up model of reactance strength for the lesson 01 explorer.

Wicklund (1974) names four determinants of how strong reactance is: the importance of
the threatened freedom, the proportion of freedoms threatened, the strength of the
threat, and its implications for future threats. The reactance literature describes
direct, indirect and subjective routes to restoring a freedom (as summarised in the Wiley
chapter "Theories in Social Psychology" and in the introduction to Buboltz et al., 2002).
Everything else in this module (the formula, the weights, the bands and the route rule)
is invented for teaching. It is not data, not fitted to data, and predicts nobody.

The formula, on 0-10 slider settings scaled to 0-1::

    strength = 100 * importance * threat * (0.6 + 0.2 * proportion + 0.2 * future)

so strength lies in [0, 100], never falls when a determinant rises, and is 0 when the
freedom does not matter or nothing threatens it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SCALE_MAX = 10
ILLUSTRATIVE_NOTICE = "Illustrative model, not data"
DISCLAIMER = (
    "Illustrative model, not data: the four determinants are Wicklund's (1974), but the "
    "formula, its weights, the bands and the route rule are made up for teaching. They are "
    "not fitted to any study and predict nobody's behaviour."
)


@dataclass(frozen=True)
class DeterminantInfo:
    """One determinant: its field name, label and a one-line explanation."""

    key: str
    label: str
    explanation: str


DETERMINANTS: tuple[DeterminantInfo, ...] = (
    DeterminantInfo(
        "importance",
        "Importance",
        "How much the threatened freedom matters to the person (0 = not at all, 10 = a great deal).",
    ),
    DeterminantInfo(
        "proportion",
        "Proportion",
        "How large a share of the person's freedoms is threatened (0 = one small freedom, 10 = nearly all).",
    ),
    DeterminantInfo(
        "threat",
        "Threat strength",
        "How strong the threat is (0 = no threat at all, 10 = an explicit, forceful demand or ban).",
    ),
    DeterminantInfo(
        "future",
        "Future threats",
        "How strongly this threat signals further threats to come (0 = a one-off, 10 = clearly the first of many).",
    ),
)


@dataclass(frozen=True)
class Determinants:
    """Settings of the four determinants, each on a 0-10 scale."""

    importance: float = 5
    proportion: float = 5
    threat: float = 5
    future: float = 5

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number from 0 to {SCALE_MAX} (got {value!r})")
            if not 0 <= value <= SCALE_MAX:
                raise ValueError(f"{name} must lie between 0 and {SCALE_MAX} (got {value})")

    def scaled(self) -> dict[str, float]:
        """Each setting divided by the scale maximum (0-1)."""
        return {name: value / SCALE_MAX for name, value in asdict(self).items()}


def reactance_strength(d: Determinants) -> float:
    """Illustrative reactance strength, 0-100 (made-up formula; see the module docstring)."""
    s = d.scaled()
    amplifier = 0.6 + 0.2 * s["proportion"] + 0.2 * s["future"]
    return min(100.0, 100.0 * s["importance"] * s["threat"] * amplifier)


BANDS: tuple[tuple[float, str], ...] = (
    (5.0, "little or none"),
    (25.0, "mild"),
    (55.0, "moderate"),
    (100.0, "strong"),
)


def strength_band(strength: float) -> str:
    """A word for an illustrative strength: little or none, mild, moderate or strong."""
    if not 0 <= strength <= 100:
        raise ValueError(f"strength must lie between 0 and 100 (got {strength})")
    for upper, name in BANDS:
        if strength < upper:
            return name
    return BANDS[-1][1]


@dataclass(frozen=True)
class Route:
    """A route to restoring a freedom, as reactance theory describes it."""

    key: str
    label: str
    description: str


ROUTES: tuple[Route, ...] = (
    Route(
        "subjective",
        "Subjective",
        "changing how the options look, for example valuing the lost option more than before",
    ),
    Route(
        "indirect",
        "Indirect",
        "doing a related behaviour, running down or attacking the source of the threat, or "
        "enjoying watching others do the forbidden thing",
    ),
    Route("direct", "Direct", "doing the threatened or forbidden behaviour itself"),
)

# Made-up rule: each route "switches on" between these strengths (0 below, 1 above).
_ROUTE_RAMPS = {"subjective": (5.0, 35.0), "indirect": (20.0, 60.0), "direct": (45.0, 85.0)}


@dataclass(frozen=True)
class RouteEstimate:
    """One route and its illustrative likelihood (0-1) under the made-up route rule."""

    route: Route
    likelihood: float


def likely_routes(d: Determinants) -> list[RouteEstimate]:
    """Illustrative likelihood of each restoration route (subjective, indirect, direct).

    The made-up rule: the stronger the illustrative reactance, the more overt the routes
    that switch on. Reactance theory names the routes; it gives no such rule.
    """
    strength = reactance_strength(d)
    estimates = []
    for route in ROUTES:
        low, high = _ROUTE_RAMPS[route.key]
        likelihood = min(1.0, max(0.0, (strength - low) / (high - low)))
        estimates.append(RouteEstimate(route, likelihood))
    return estimates


def likelihood_word(likelihood: float) -> str:
    """unlikely, possible or likely (never a colour alone)."""
    if likelihood < 0.2:
        return "unlikely"
    return "possible" if likelihood < 0.7 else "likely"


def sensitivity(d: Determinants, key: str, steps: int = SCALE_MAX) -> list[tuple[float, float]]:
    """Illustrative strength as one determinant runs over 0-10 with the others held fixed."""
    if key not in {info.key for info in DETERMINANTS}:
        raise KeyError(key)
    points = []
    for i in range(steps + 1):
        x = SCALE_MAX * i / steps
        points.append((x, reactance_strength(Determinants(**{**asdict(d), key: x}))))
    return points


def describe(d: Determinants) -> str:
    """A plain-text summary of the illustrative outcome for a setting of the determinants."""
    strength = reactance_strength(d)
    routes = "; ".join(
        f"{e.route.label.lower()}: {likelihood_word(e.likelihood)}" for e in likely_routes(d)
    )
    return (
        f"{ILLUSTRATIVE_NOTICE}. Illustrative strength {strength:.0f} of 100 "
        f"({strength_band(strength)}). Restoration routes: {routes}."
    )
