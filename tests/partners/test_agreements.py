"""Agreements: parties, contributions, amendments, a signed copy stored outside the web
root and served only through the access check, and a printable page."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guildhouse.core.models import AuditEvent
from guildhouse.partners import services
from guildhouse.partners.models import Agreement
from tests.partners.conftest import PartnerWorld

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _draft(pw: PartnerWorld, *, org: object = None) -> Agreement:
    return services.agreement_create(
        actor=pw.world.coordinator.user,
        organisation=org or pw.organisation,  # type: ignore[arg-type]
        kind="placement",
        title="Placement agreement 2026",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        review_on=datetime.date(2026, 9, 1),
        our_responsibilities="Prepare learners and visit once a month.",
        their_responsibilities="Name a supervisor and run a safety induction.",
    )


def test_coordinator_drafts_an_agreement_with_parties_and_contributions(pw: PartnerWorld) -> None:
    w = pw.world
    client = w.client_for(w.coordinator)
    url = reverse("partners:agreement_create", args=[pw.organisation.pk])
    data = {
        "kind": "cooperation",
        "title": "Cooperation 2026",
        "starts_on": "2026-01-01",
        "ends_on": "2025-12-31",
    }
    page = client.post(url, data).content.decode()
    assert "The end cannot be before the start." in page
    assert Agreement.objects.count() == 0
    response = client.post(url, data | {"ends_on": "2027-12-31", "review_on": "2026-12-01"})
    agreement = Agreement.objects.get()
    assert response["Location"] == reverse("partners:agreement_detail", args=[agreement.pk])
    detail = reverse("partners:agreement_detail", args=[agreement.pk])
    client.post(
        reverse("partners:signatory_add", args=[agreement.pk]),
        {
            "signatory-side": "partner",
            "signatory-name": "Tuan Pham",
            "signatory-position": "Workshop manager",
        },
    )
    contributions = reverse("partners:contribution_add", args=[agreement.pk])
    for side, kind, description, value in [
        ("partner", "in_kind", "Diagnostics equipment on loan", "12000.00"),
        ("partner", "financial", "Tools grant", "1500.50"),
        ("institution", "in_kind", "EV course for their staff", "3200"),
    ]:
        client.post(
            contributions,
            {
                "contribution-side": side,
                "contribution-kind": kind,
                "contribution-description": description,
                "contribution-value": value,
            },
        )
    bad = client.post(
        contributions,
        {
            "contribution-side": "partner",
            "contribution-kind": "financial",
            "contribution-description": "x",
            "contribution-value": "-1",
        },
        follow=True,
    )
    assert "Value (EUR): Ensure this value is greater than or equal to 0." in bad.content.decode()
    page = client.get(detail).content.decode()
    assert "Tuan Pham, Workshop manager (The partner)" in page
    assert (
        '<th scope="row" colspan="3">Our institution in total</th><td class="money">3200.00</td>'
        in page
    )
    assert (
        '<th scope="row" colspan="3">The partner in total</th><td class="money">13500.50</td>'
        in page
    )
    assert agreement.contributions.count() == 3


def test_signing_stores_the_copy_outside_the_web_root_served_after_the_check(
    pw: PartnerWorld, private_dir: Path
) -> None:
    w = pw.world
    agreement = _draft(pw)
    client = w.client_for(w.coordinator)
    sign = reverse("partners:agreement_sign", args=[agreement.pk])
    upload = SimpleUploadedFile("Coastal signed.pdf", PDF, content_type="application/pdf")
    response = client.post(sign, {"sign-signed_on": "2026-01-10", "sign-document": upload})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on, agreement.document_name) == (
        "signed",
        datetime.date(2026, 1, 10),
        "Coastal signed.pdf",
    )
    stored = Path(agreement.document.path)
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(private_dir)
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))
    assert "Coastal signed" not in stored.name  # the uploader's name never reaches the disk
    assert (
        AuditEvent.objects.filter(action="partners_sign", object_id=str(agreement.pk)).count() == 1
    )
    url = reverse("partners:agreement_document", args=[agreement.pk])
    for who in (w.coordinator, w.staff, w.partner):
        download = w.client_for(who).get(url)
        assert download.status_code == 200, who.role
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="Coastal signed.pdf"'
        assert (
            download["Cache-Control"] == "private, no-store, max-age=0, no-cache, must-revalidate"
        )
    assert w.client_for(w.learner).get(url).status_code == 403
    assert w.client_for(w.stakeholder).get(url).status_code == 403
    assert w.client_for(w.outsider).get(url).status_code == 404
    again = client.post(
        sign,
        {"sign-signed_on": "2026-01-11", "sign-document": SimpleUploadedFile("x.pdf", PDF)},
        follow=True,
    )
    assert (
        "This agreement is already signed; record an amendment instead." in again.content.decode()
    )


def test_a_bad_file_or_date_is_refused_and_nothing_is_stored(
    pw: PartnerWorld, private_dir: Path
) -> None:
    w = pw.world
    agreement = _draft(pw)
    client = w.client_for(w.coordinator)
    sign = reverse("partners:agreement_sign", args=[agreement.pk])
    cases = [
        (
            SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00 not a pdf"),
            "2026-01-10",
            "Upload the signed agreement as a PDF, PNG or JPEG file.",
        ),
        (
            SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024)),
            "2026-01-10",
            "The file is larger than 10 MB. Scan it at a lower resolution.",
        ),
        (
            SimpleUploadedFile("ok.pdf", PDF),
            "2999-01-01",
            "The signing date cannot be in the future.",
        ),
    ]
    for upload, day, message in cases:
        page = client.post(sign, {"sign-signed_on": day, "sign-document": upload}, follow=True)
        assert f"Not signed. {message}" in page.content.decode()
    agreement.refresh_from_db()
    assert (agreement.status, agreement.document.name) == ("draft", "")
    assert not private_dir.exists() or not any(private_dir.rglob("*.*"))


def test_partner_reads_only_their_own_organisations_agreements(pw: PartnerWorld) -> None:
    w = pw.world
    own = _draft(pw)
    hotel = _draft(pw, org=pw.other_organisation)
    partner = w.client_for(w.partner)
    listing = partner.get(reverse("partners:agreement_list")).content.decode()
    assert listing.count("Placement agreement 2026") == 1
    assert partner.get(reverse("partners:agreement_detail", args=[own.pk])).status_code == 200
    assert partner.get(reverse("partners:agreement_detail", args=[hotel.pk])).status_code == 404
    assert partner.get(reverse("partners:agreement_print", args=[hotel.pk])).status_code == 404
    page = partner.get(reverse("partners:agreement_detail", args=[own.pk])).content.decode()
    assert "Mark as signed" not in page
    assert "Record an amendment" not in page


def test_an_amendment_links_to_the_original(pw: PartnerWorld) -> None:
    w = pw.world
    original = _draft(pw)
    client = w.client_for(w.coordinator)
    url = reverse("partners:agreement_create", args=[pw.organisation.pk]) + f"?amends={original.pk}"
    form = client.get(url).content.decode()
    assert 'value="Amendment to Placement agreement 2026"' in form
    client.post(url, {"kind": "placement", "title": "Amendment 1", "starts_on": "2026-06-01"})
    amendment = Agreement.objects.get(title="Amendment 1")
    assert amendment.amends == original
    page = client.get(reverse("partners:agreement_detail", args=[original.pk])).content.decode()
    assert f'<a href="/partners/agreements/{amendment.pk}/">Amendment 1</a>' in page
    # An agreement of another organisation cannot be the original.
    hotel = _draft(pw, org=pw.other_organisation)
    wrong = reverse("partners:agreement_create", args=[pw.organisation.pk]) + f"?amends={hotel.pk}"
    assert client.get(wrong).status_code == 404


def test_printable_agreement_has_print_css_and_no_site_chrome(pw: PartnerWorld) -> None:
    w = pw.world
    agreement = _draft(pw)
    services.signatory_add(
        actor=w.coordinator.user,
        agreement=agreement,
        side="institution",
        name="Helena Lindqvist",
        position="Principal",
    )
    page = (
        w.client_for(w.staff)
        .get(reverse("partners:agreement_print", args=[agreement.pk]))
        .content.decode()
    )
    assert '<link rel="stylesheet" href="/static/partners/print.css">' in page
    assert 'class="main-nav"' not in page
    assert "<h1>Placement agreement 2026</h1>" in page
    assert "Prepare learners and visit once a month." in page
    assert '<div class="signature">Helena Lindqvist, Principal<br>Our institution</div>' in page
    assert "Riverside Vocational College and Coastal Motors Ltd" in page
    css = (Path(settings.BASE_DIR) / "guildhouse/partners/static/partners/print.css").read_text()
    assert "@media print" in css
    assert (
        w.client_for(w.learner)
        .get(reverse("partners:agreement_print", args=[agreement.pk]))
        .status_code
        == 403
    )
