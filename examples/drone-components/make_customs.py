"""Generate the demo's synthetic customs extract (fixed seed, committed output).

Run: ``.venv/bin/python examples/drone-components/make_customs.py``; it
rewrites ``customs/records.csv``. The mapping beside it
(``customs/records.mapping.yaml``) tells the customs loader which column is
which field.

Every row is SYNTHETIC. The rows follow the shape of the published facts
(Chinese parts suppliers; Aero-HIT buying until China's export restrictions
of September 2023, then an intermediary buying on its behalf) and of the
fictional Osmonov network invented for this demo: parts makers in China ship
to trading houses in Hong Kong, the UAE, Kazakhstan and Turkey, which re-export
the same goods within days, at a mark-up, to Russian buyers of record from
unrelated trades (bakery, seafood). Around them is unrelated noise trade.
Party names are spelled the way declarations spell them: upper case, legal
forms abbreviated, sometimes in Cyrillic, so that resolution has work to do.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "customs" / "records.csv"
SEED = 20240612
COLUMNS = [
    "decl_no", "date", "shipper", "shipper_country", "consignee", "consignee_country",
    "hs_code", "goods", "value", "currency", "qty", "unit", "origin", "destination",
]


@dataclass(frozen=True)
class Good:
    hs: str
    text: str
    price: tuple[float, float]  # USD per unit
    lot: tuple[int, int]  # units per shipment
    unit: str = "pcs"


MOTOR = Good("8501.31", "Brushless DC motors 2207 1950KV for multirotor models", (9.0, 14.0), (4000, 12000))
FC = Good("8537.10", "Flight controller boards F7, programmable", (28.0, 45.0), (1000, 3000))
FC_IC = Good("8542.31", "Flight control modules with STM32 processor", (26.0, 40.0), (1000, 3000))
ESC = Good("8504.40", "Electronic speed controllers 4-in-1 45A", (22.0, 38.0), (1000, 3000))
BATTERY = Good("8507.60", "Lithium-polymer battery packs 6S 1300mAh", (18.0, 30.0), (1000, 3500))
CAMERA = Good("8525.89", "FPV cameras 1200TVL, analogue", (14.0, 30.0), (800, 2500))
VTX = Good("8517.62", "Video transmitters 5.8 GHz 1.6 W", (16.0, 35.0), (800, 2500))
GNSS = Good("8526.91", "GNSS receiver modules", (7.0, 15.0), (800, 2500))
PROPS = Good("8807.30", "Propellers for unmanned aircraft, 5 inch, pairs", (0.4, 0.9), (10000, 40000))

# Party spellings as declarations write them (the first is the usual one).
SKYRUN = ["SHENZHEN SKYRUN MOTOR TECHNOLOGY CO LTD", "SHENZHEN SKYRUN MOTOR TECH CO., LTD."]
LINGFEI = ["SHENZHEN LINGFEI FLIGHT CONTROL TECHNOLOGY CO LTD", "SHENZHEN LINGFEI FLIGHT CONTROL TECH CO"]
HENGLI = ["DONGGUAN HENGLI BATTERY CO LTD", "DONGGUAN HENGLI BATTERY CO., LTD"]
JIAYU = ["SHENZHEN JIAYU OPTOELECTRONICS CO LTD"]
HUASHENG = ["SHENZHEN HUASHENG INDUSTRY CO LTD", "SHENZHEN HUASHENG INDUSTRY CO., LTD."]
KOWLOON = ["KOWLOON BRIGHT ELECTRONICS LIMITED", "KOWLOON BRIGHT ELECTRONICS LTD"]
ALATOO = ["ALATOO TRADE BRIDGE LLC", "OSOO ALATOO TRADE BRIDGE", "ОсОО «Алатоо Трейд Бридж»"]
ISSYKKUL = ["ISSYK-KUL LOGISTICS LLC", "OSOO ISSYK-KUL LOGISTICS"]
FALCON = ["FALCON CREST GENERAL TRADING FZE", "FALCON CREST GEN. TRADING FZE"]
STEPPE = ["STEPPE COMPONENTS LLP", "TOO STEPPE COMPONENTS"]
BOSPHORUS = ["BOSPHORUS AVIONICS DIS TICARET LTD STI", "BOSPHORUS AVIONICS DIS TIC. LTD. STI."]
KHLEBNY = ["KHLEBNY DOM SEVERA LLC", "OOO KHLEBNYY DOM SEVERA", "ООО «Хлебный дом Севера»"]
SEVERNY = ["SEVERNY ULOV LLC", "OOO SEVERNYY ULOV", "ООО «Северный улов»"]
AEROHIT = ["AERO-HIT LLC", "OOO AERO-KHIT"]
RENOVATSIO = ["RENOVATSIO-INVEST LLC", "OOO RENOVATSIO-INVEST"]


@dataclass(frozen=True)
class Leg:
    """One hop of a chain: who ships to whom, from which country to which."""

    shipper: list[str]
    shipper_country: str
    consignee: list[str]
    consignee_country: str
    start: date
    end: date


@dataclass(frozen=True)
class Chain:
    """Goods made in ``origin`` that travel leg by leg to the last consignee."""

    goods: list[Good]
    origin: str
    legs: list[Leg]
    every_days: tuple[int, int]  # days between consignments from the maker
    destination: str = "RU"


D = date
CHAINS: list[Chain] = [
    # motors: maker -> Hong Kong -> Kyrgyzstan -> Russian bakery wholesaler
    Chain([MOTOR, PROPS], "CN", [
        Leg(SKYRUN, "CN", KOWLOON, "HK", D(2022, 12, 5), D(2025, 6, 20)),
        Leg(KOWLOON, "HK", ALATOO, "KG", D(2022, 12, 5), D(2025, 3, 10)),
        Leg(ALATOO, "KG", KHLEBNY, "RU", D(2022, 12, 5), D(2025, 3, 20)),
    ], (6, 10)),
    # after the story: the same motors through a new Kyrgyz forwarder
    Chain([MOTOR], "CN", [
        Leg(SKYRUN, "CN", KOWLOON, "HK", D(2025, 3, 21), D(2025, 6, 30)),
        Leg(KOWLOON, "HK", ISSYKKUL, "KG", D(2025, 3, 21), D(2025, 6, 30)),
        Leg(ISSYKKUL, "KG", KHLEBNY, "RU", D(2025, 3, 21), D(2025, 6, 30)),
    ], (7, 11)),
    # flight controllers and speed controllers through the UAE free zone
    Chain([FC, FC_IC, ESC], "CN", [
        Leg(LINGFEI, "CN", FALCON, "AE", D(2022, 12, 1), D(2025, 6, 30)),
        Leg(FALCON, "AE", KHLEBNY, "RU", D(2022, 12, 1), D(2025, 6, 30)),
    ], (8, 12)),
    # batteries through Kazakhstan, to both buyers of record
    Chain([BATTERY], "CN", [
        Leg(HENGLI, "CN", STEPPE, "KZ", D(2023, 2, 1), D(2025, 6, 30)),
        Leg(STEPPE, "KZ", KHLEBNY, "RU", D(2023, 2, 1), D(2025, 6, 30)),
    ], (9, 14)),
    Chain([BATTERY], "CN", [
        Leg(HENGLI, "CN", STEPPE, "KZ", D(2023, 6, 1), D(2025, 6, 30)),
        Leg(STEPPE, "KZ", SEVERNY, "RU", D(2023, 6, 1), D(2025, 6, 30)),
    ], (12, 20)),
    # cameras, video transmitters and GNSS through Turkey to the seafood firm
    Chain([CAMERA, VTX, GNSS], "CN", [
        Leg(JIAYU, "CN", BOSPHORUS, "TR", D(2023, 1, 15), D(2025, 6, 30)),
        Leg(BOSPHORUS, "TR", SEVERNY, "RU", D(2023, 1, 15), D(2025, 6, 30)),
    ], (9, 15)),
    # the real case, as a pattern: direct until China's September 2023 export
    # restrictions, then through an intermediary buying on the maker's behalf
    Chain([MOTOR, CAMERA, FC], "CN", [
        Leg(HUASHENG, "CN", AEROHIT, "RU", D(2023, 8, 3), D(2023, 8, 31)),
    ], (6, 9)),
    Chain([MOTOR, CAMERA, FC, BATTERY], "CN", [
        Leg(HUASHENG, "CN", RENOVATSIO, "RU", D(2023, 10, 10), D(2024, 6, 10)),
    ], (8, 14)),
]

# Unrelated trade around the case (invented names): each seller with its goods.
COFFEE = Good("0901.21", "Roasted coffee beans", (4.0, 9.0), (2000, 20000), "kg")
TIMBER = Good("4407.11", "Sawn pine timber", (120.0, 260.0), (50, 400), "m3")
FISH = Good("0303.89", "Frozen fish, whole", (1.5, 4.0), (10000, 60000), "kg")
SHIRTS = Good("6109.10", "Cotton T-shirts", (1.2, 3.5), (5000, 40000))
FURNITURE = Good("9403.60", "Wooden furniture", (40.0, 180.0), (100, 900))
BRAKES = Good("8708.30", "Brake parts for motor vehicles", (6.0, 30.0), (500, 5000))
OLIVE_OIL = Good("1509.20", "Extra virgin olive oil", (5.0, 9.0), (2000, 20000), "l")
DATES = Good("0804.10", "Dates, dried", (2.0, 5.0), (5000, 30000), "kg")
PHONES = Good("8517.13", "Smartphones", (90.0, 260.0), (200, 3000))
LAPTOPS = Good("8471.30", "Laptop computers", (250.0, 700.0), (100, 1500))
PIPE = Good("7304.19", "Steel line pipe", (700.0, 1100.0), (20, 300), "t")
COTTON = Good("5201.00", "Raw cotton", (1500.0, 2100.0), (10, 120), "t")
NOISE_SELLERS: list[tuple[str, str, list[Good]]] = [
    ("HANSEATIC COFFEE IMPORT GMBH", "DE", [COFFEE]),
    ("BALTIC TIMBER EXPORT LLC", "RU", [TIMBER]),
    ("VOLGA FROZEN FISH LLC", "RU", [FISH]),
    ("QINGDAO OCEAN STAR SEAFOOD CO LTD", "CN", [FISH]),
    ("ANATOLIA TEXTILE SANAYI AS", "TR", [SHIRTS]),
    ("SAIGON FURNITURE JSC", "VN", [FURNITURE]),
    ("WARSAW AUTO PARTS SP Z O O", "PL", [BRAKES]),
    ("DUBAI GOLDEN DATES TRADING LLC", "AE", [DATES]),
    ("NINGBO HOMEWARE CO LTD", "CN", [FURNITURE, SHIRTS]),
    ("URAL PIPE WORKS JSC", "RU", [PIPE]),
    ("SHENZHEN BRIGHTSTAR CONSUMER ELECTRONICS CO LTD", "CN", [PHONES, LAPTOPS]),
    ("IZMIR OLIVE OIL EXPORT AS", "TR", [OLIVE_OIL]),
    ("TASHKENT COTTON LLC", "UZ", [COTTON]),
]
NOISE_BUYERS = [
    ("HANSEATIC COFFEE IMPORT GMBH", "DE"), ("VOLGA FROZEN FISH LLC", "RU"),
    ("MUMBAI SPICE TRADERS PVT LTD", "IN"), ("ALMATY GRAIN TERMINAL LLP", "KZ"),
    ("ROTTERDAM FLOWER AUCTION BV", "NL"), ("BISHKEK TEXTILE MARKET LLC", "KG"),
    ("HONG KONG PEARL LOGISTICS LTD", "HK"), ("MOSCOW HOME RETAIL LLC", "RU"),
    ("WARSAW AUTO PARTS SP Z O O", "PL"), ("DUBAI GOLDEN DATES TRADING LLC", "AE"),
    ("ISTANBUL GIDA PAZARLAMA AS", "TR"), ("NOVOSIBIRSK ELECTRONICS RETAIL LLC", "RU"),
]
# Drone parts to ordinary hobby shops in the EU: same goods, no red flag.
HOBBY_SELLERS: list[tuple[str, str, list[Good]]] = [
    ("SHENZHEN SKYRUN MOTOR TECHNOLOGY CO LTD", "CN", [MOTOR]),
    ("DONGGUAN HENGLI BATTERY CO LTD", "CN", [BATTERY]),
    ("SHENZHEN JIAYU OPTOELECTRONICS CO LTD", "CN", [CAMERA, VTX]),
    ("SHENZHEN LINGFEI FLIGHT CONTROL TECHNOLOGY CO LTD", "CN", [FC, ESC]),
]
HOBBY_BUYERS = [("MUNICH HOBBY MODELS GMBH", "DE"), ("KRAKOW FPV RACING SP Z O O", "PL")]
NOISE_ROWS = 1900


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: list[dict[str, str]] = []
        self.serial = 0

    def spell(self, names: list[str]) -> str:
        """Mostly the usual spelling, sometimes a variant."""
        return names[0] if self.rng.random() < 0.7 else self.rng.choice(names)

    def add(self, when: date, shipper: str, s_cc: str, consignee: str, c_cc: str, good: Good,
            qty: int, usd: float, origin: str, destination: str) -> None:
        self.serial += 1
        currency, value = "USD", usd
        roll = self.rng.random()
        if s_cc == "CN" and roll < 0.15:
            currency, value = "CNY", usd * 7.1
        elif c_cc == "RU" and roll < 0.08:
            currency, value = "RUB", usd * 90.0
        elif c_cc in ("DE", "PL", "NL") and roll < 0.5:
            currency, value = "EUR", usd * 0.92
        self.rows.append({
            "decl_no": f"{s_cc}{c_cc}-{when:%y%m%d}-{self.serial:06d}",
            "date": when.isoformat(),
            "shipper": shipper, "shipper_country": s_cc,
            "consignee": consignee, "consignee_country": c_cc,
            "hs_code": good.hs, "goods": good.text,
            "value": f"{value:.2f}", "currency": currency,
            "qty": str(qty), "unit": good.unit,
            "origin": origin, "destination": destination,
        })

    def chain(self, chain: Chain) -> None:
        first = chain.legs[0]
        when = first.start
        while when <= first.end:
            good = self.rng.choice(chain.goods)
            qty = self.rng.randint(*good.lot) // 10 * 10
            usd = qty * self.rng.uniform(*good.price)
            leg_date = when
            for leg in chain.legs:
                if leg_date > leg.end:
                    break
                self.add(leg_date, self.spell(leg.shipper), leg.shipper_country, self.spell(leg.consignee),
                         leg.consignee_country, good, qty, usd, chain.origin, chain.destination)
                # the next hop re-exports the same lot within days, at a mark-up
                leg_date += timedelta(days=self.rng.randint(4, 18))
                usd *= self.rng.uniform(1.06, 1.16)
            when += timedelta(days=self.rng.randint(*chain.every_days))

    def noise(self, n: int) -> None:
        start, span = date(2022, 1, 3), (date(2025, 6, 30) - date(2022, 1, 3)).days
        for _ in range(n):
            when = start + timedelta(days=self.rng.randint(0, span))
            hobby = self.rng.random() < 0.12
            s, scc, goods = self.rng.choice(HOBBY_SELLERS if hobby else NOISE_SELLERS)
            c, ccc = self.rng.choice([b for b in (HOBBY_BUYERS if hobby else NOISE_BUYERS) if b[0] != s])
            good = self.rng.choice(goods)
            qty = max(1, self.rng.randint(*good.lot) // 10 * 10)
            usd = qty * self.rng.uniform(*good.price)
            self.add(when, s, scc, c, ccc, good, qty, usd, scc, ccc)


def generate(seed: int = SEED) -> list[dict[str, str]]:
    gen = Generator(seed)
    for chain in CHAINS:
        gen.chain(chain)
    gen.noise(NOISE_ROWS)
    gen.rows.sort(key=lambda r: (r["date"], r["decl_no"]))
    return gen.rows


def main() -> None:
    rows = generate()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
