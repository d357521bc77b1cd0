"""`check --deploy`: a production server that would sign with the test certificate, or whose
organisations' certificates folder is not there, says so."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def signing_certificate(app_configs, **kwargs):
    from doluong_dialogue.documents import signing

    if settings.DEBUG or settings.SIGNING_ALLOW_TEST_CERTIFICATE:
        return []
    if not signing.uses_test_certificate():
        return []
    return [
        Warning(
            "Signed documents would be signed with a generated TEST certificate.",
            hint=(
                "Set SIGNING_PKCS12_FILE and SIGNING_PKCS12_PASSWORD, or the SIGNING_PKCS11_* "
                "variables, to the issuing body's certificate; or set "
                "SIGNING_ALLOW_TEST_CERTIFICATE=true on a demonstration server."
            ),
            id="documents.W001",
        )
    ]


@register(Tags.security, deploy=True)
def organisation_certificates(app_configs, **kwargs):
    folder = settings.SIGNING_ORGANISATIONS_DIR
    if not folder or Path(folder).is_dir():
        return []
    return [
        Warning(
            f"SIGNING_ORGANISATIONS_DIR ({folder}) is not a folder: the organisations' "
            "notices cannot be signed.",
            hint=(
                "Make the folder on every node, with each organisation's certificate as "
                "<code>.p12 (MTTQ.p12, HND.p12, HPN.p12, CCB.p12, DTN.p12)."
            ),
            id="documents.W002",
        )
    ]
