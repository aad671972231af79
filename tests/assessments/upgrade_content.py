"""Version 2 of the cast's content, as an admin would make it: D11-1 reworded, D11-2 recoded D11-5 with
the same words, D12-1 split into D12-1 and D12-4, D21-1 and D21-2 merged into D21-1, D22-3 removed, D22-4
new."""

from drivers import services
from drivers.models import BestPractice, Driver


def make_second_version(first, publish=True):
    draft = services.version_create_draft(version=first)
    items = {item.code: item for item in draft.best_practices.all()}
    items["D11-1"].statement = "Reworded statement D11-1."
    items["D11-1"].save()
    items["D11-2"].code = "D11-5"
    items["D11-2"].save()
    BestPractice.objects.create(
        driver=Driver.objects.get(version=draft, code="D12"),
        code="D12-4",
        order=4,
        statement="Half of D12-1.",
    )
    items["D21-2"].delete()
    items["D22-3"].delete()
    BestPractice.objects.create(
        driver=Driver.objects.get(version=draft, code="D22"), code="D22-4", order=4, statement="Brand new."
    )
    record = services.item_lineage_record
    record(version=draft, kind="continues", old_codes=["D11-2"], new_codes=["D11-5"])
    record(version=draft, kind="split", old_codes=["D12-1"], new_codes=["D12-1", "D12-4"])
    record(version=draft, kind="merged", old_codes=["D21-1", "D21-2"], new_codes=["D21-1"])
    return services.version_publish(version=draft) if publish else draft
