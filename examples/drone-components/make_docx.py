"""Build documents/05-investigator-memo.docx (a Word memo) with python-docx.

Run: ``.venv/bin/python examples/drone-components/make_docx.py``. The .docx
is committed; this script is where its text is written down. The memo sums
up the public record on Aero-HIT in our own words (facts from the brief and
published reporting; no sentence is copied from any article).
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

HERE = Path(__file__).resolve().parent
OUT = HERE / "documents" / "05-investigator-memo.docx"

HEADER = [
    ("To", "Investigations team"),
    ("From", "Research desk"),
    ("Date", "14 July 2025"),
    ("Subject", "Aero-HIT (Khabarovsk): owners, Chinese partners, buyers"),
]

SECTIONS: list[tuple[str, list[str]]] = [
    ("Who is behind it", [
        "Aero-HIT (ООО «Аэро-ХИТ») is a Khabarovsk company that makes the Veles FPV drone at a plant "
        "next to Khabarovsk airport. Aero-HIT is controlled by Komax, the company that manages the airport.",
        "Komax is owned by Konstantin Basyuk (Константин Басюк), a former KGB officer who has sat in the "
        "Federation Council for the occupied part of the Kherson region since 2022. The European Union "
        "sanctioned Basyuk in 2023.",
    ]),
    ("Chinese partners", [
        "Talks between Komax, the Harbin Comprehensive Bonded Zone and Khabarovsk airport started in the "
        "autumn of 2022; the plan was a bonded warehouse near the airport and a drone line built with "
        "Chinese parts.",
        "From 28 April to 3 May 2023 a Russian delegation met the bonded zone and companies of the Harbin "
        "Institute of Technology (HIT) in China. The parties agreed on a joint venture in Khabarovsk and "
        "a first delivery of 100 drone kits.",
        "When the Harbin companies pulled out in June 2023, Shenzhen Huasheng Industry Co., Ltd. signed a "
        "parts contract with the Russian side in July 2023. About 65 million rubles had been paid in "
        "advance when China restricted drone exports in September 2023 and several contracts were "
        "cancelled.",
        "Aero-HIT has cooperated with engineers of Autel Robotics since early 2023, according to its own "
        "letter to the Ministry of Defence. Autel denied any relationship with Aero-HIT.",
    ]),
    ("Output and buyers", [
        "By late 2023 the plant made roughly 200 to 300 drones per month; Aero-HIT claims a capacity of "
        "10,000 drones per month in 2025.",
        "Renovatsio-Invest procured Chinese-made drones on behalf of Aero-HIT.",
        "In March 2025 Aeromar-DV, an airline catering company, agreed to buy 100 Veles drones from "
        "Aero-HIT for about 8 million rubles, roughly 80,000 rubles per drone.",
        "The Ministry of Defence wrote to Aero-HIT on 29 August 2024 about an order of 5,000 Veles drones.",
    ]),
    ("Sanctions", [
        "The Office of Foreign Assets Control sanctioned Aero-HIT, Renovatsio-Invest and Shenzhen Huasheng "
        "Industry in June 2024. The United Kingdom sanctioned Autel in November 2024. The US Department "
        "of Commerce put the Harbin Institute of Technology on its Entity List in 2020.",
    ]),
    ("Open questions", [
        "Whether Autel staff, or resellers of Autel parts, are the real counterparties; which intermediary "
        "delivered the batteries; whether the Aeromar-DV purchase was paid by a third party.",
    ]),
]


def build(path: Path = OUT) -> None:
    doc = Document()
    doc.core_properties.title = "Memo: Aero-HIT"
    doc.core_properties.author = "redthread demo"
    doc.add_heading("MEMORANDUM", level=1)
    for label, value in HEADER:
        para = doc.add_paragraph()
        para.add_run(f"{label}: ").bold = True
        para.add_run(value)
    doc.add_paragraph().add_run("Demo document written for redthread from the public record.").italic = True
    for title, paragraphs in SECTIONS:
        doc.add_heading(title, level=2)
        for text in paragraphs:
            doc.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


if __name__ == "__main__":
    build()
