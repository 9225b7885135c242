#!/usr/bin/env python3
"""Writes one large HTML page, to measure the peak memory of ingesting it.

    tests/bench/make-big-html.py --mb 50 --shape page  /tmp/page.html
    tests/bench/make-big-html.py --mb 50 --shape dense /tmp/dense.html
    /usr/bin/time -f "%e s, %M KB peak" build/coopkb ingest -q --db /tmp/big.sqlite /tmp/page.html

Shapes:
  page   a saved portal page: nested layout markup, menus, inline scripts and
         base64 images around short news items (about 4 % of the bytes are
         article text), which is what makes real pages this large;
  dense  50 MB of article text, every paragraph naming two establishments, a
         date, a specialty and counts: a worst case, far beyond any article.
Deterministic (seeded); generated on demand, never committed.
"""
import argparse
import base64
import random

ESTABLISHMENTS = ["le CHU de Lille", "le centre hospitalier de Roubaix", "le CHU de Rennes",
                  "le CH de Saint-Malo", "le CHRU de Brest", "l'hôpital de Morlaix",
                  "le CHU de Nantes", "le centre hospitalier de Cholet"]
SPECIALTIES = ["neurochirurgie", "cardiologie", "oncologie", "pédiatrie",
               "radiologie interventionnelle", "gériatrie", "urgences"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "septembre", "octobre", "novembre"]


def page_item(rng, i, image):
    a, b = rng.sample(ESTABLISHMENTS, 2)
    item = (f'<div class="row"><div class="col-md-8"><div class="card"><div class="card-body">'
            f'<p class="lead"><span class="x">{a[0].upper() + a[1:]}</span> et <span class="y">{b}</span> '
            f'renforcent leur coopération en {rng.choice(SPECIALTIES)} depuis {rng.randint(2001, 2024)} '
            f'(brève {i}).</p></div></div></div><div class="col-md-4" data-track="{"t" * 200}">'
            f'<button onclick="share({i})">Partager</button></div></div>\n')
    if i % 20 == 0:
        item += (f'<figure><img src="data:image/png;base64,{image}" alt="illustration"></figure>'
                 f'<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"event":"view","id":{i},'
                 f'"payload":"{"p" * 3000}"}});</script>\n')
    return item


def dense_item(rng, i):
    a, b = rng.sample(ESTABLISHMENTS, 2)
    item = (f'<p>Depuis le {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2000, 2024)}, {a} et {b} '
            f'ont signé une convention de coopération en {rng.choice(SPECIALTIES)} : '
            f'{rng.randint(2, 40)} praticiens assurent des consultations avancées et '
            f'{rng.randint(100, 5000)} patients ont été pris en charge (paragraphe {i}).</p>\n')
    if i % 50 == 0:
        item = f'<h2>Partie {i // 50 + 1}</h2>\n' + item
    return item


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50)
    parser.add_argument("--shape", choices=["page", "dense"], default="page")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    image = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(30000))).decode()
    head = ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            '<title>Coopérations hospitalières : toutes les brèves</title>'
            '<style>' + '.c{color:#333}\n' * 2000 + '</style></head><body><nav>'
            + ''.join(f'<a href="/r/{i}">Rubrique {i}</a>' for i in range(500))
            + '</nav><main><article><h1>Coopérations hospitalières : toutes les brèves</h1>\n')
    tail = '</article></main><footer>Mentions légales</footer></body></html>\n'
    limit = int(args.mb * 1024 * 1024)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(head)
        size = len(head.encode())
        i = 0
        while size < limit:
            item = page_item(rng, i, image) if args.shape == "page" else dense_item(rng, i)
            out.write(item)
            size += len(item.encode())
            i += 1
        out.write(tail)


if __name__ == "__main__":
    main()
