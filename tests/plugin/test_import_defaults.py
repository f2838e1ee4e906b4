"""
A CSV import that leaves out a yes/no column keeps the model's default: Django reads a missing
checkbox as "no", which would import every node offline, every storage and backup job disabled.
"""

from django.urls import reverse

from utilities.testing import TestCase

from netbox_proxbox.models import BackupRoutine, ProxmoxNode, ProxmoxStorage

from .factories import make_proxmox_cluster

# (model, URL name, CSV without the column, the yes/no fields that default to yes)
IMPORTS = (
    (ProxmoxNode, 'proxmoxnode', 'cluster,name\nc1,pve9', ('online',)),
    (ProxmoxStorage, 'proxmoxstorage', 'cluster,name,type\nc1,csv-store,dir', ('enabled',)),
    (BackupRoutine, 'backuproutine', 'cluster,job_id\nc1,backup-csv', ('enabled',)),
)


class OmittedBooleanColumnsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_proxmox_cluster('c1')

    def setUp(self):
        super().setUp()
        self.add_permissions('netbox_proxbox.view_proxmoxcluster')  # the CSV names the cluster

    def import_csv(self, name, csv):
        url = reverse(f'plugins:netbox_proxbox:{name}_bulk_import')
        return self.client.post(url, {'data': csv, 'format': 'csv', 'csv_delimiter': ','})

    def test_omitted_column_keeps_the_default(self):
        for model, name, csv, fields in IMPORTS:
            with self.subTest(model=name):
                self.add_permissions(f'netbox_proxbox.add_{name}', f'netbox_proxbox.view_{name}')
                self.import_csv(name, csv)
                obj = model.objects.get()
                for field in fields:
                    self.assertIs(getattr(obj, field), True, field)

    def test_an_explicit_no_is_kept(self):
        self.add_permissions('netbox_proxbox.add_proxmoxnode', 'netbox_proxbox.view_proxmoxnode')
        self.import_csv('proxmoxnode', 'cluster,name,online\nc1,pve9,false')
        self.assertIs(ProxmoxNode.objects.get().online, False)
