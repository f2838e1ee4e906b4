"""
The in-NetBox apply (`/api/plugins/proxbox/apply/`) keeps what NetBox's REST API guarantees: each test
sends the same objects both ways and compares what NetBox recorded (change records, search cache,
event-rule jobs, signal-maintained totals), or pins a rule the REST API enforces (validation with
NetBox's message while the rest of the batch lands, model and object permissions, write-only tokens).
"""

from unittest.mock import patch

import django_rq
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework import status

from core.events import OBJECT_CREATED, OBJECT_UPDATED
from core.models import ObjectChange, ObjectType
from dcim.models import Site
from extras.choices import EventRuleActionChoices
from extras.jobs import RenderConfigContextJob
from extras.models import CachedValue, ConfigContext, CustomField, EventRule, Tag, Webhook
from users.models import ObjectPermission
from utilities.testing import APITestCase
from virtualization.models import Cluster, ClusterType, VirtualDisk, VirtualMachine, VMInterface

APPLY = reverse('plugins-api:netbox_proxbox-api:apply')
VMS = '/api/virtualization/virtual-machines/'
# Fields that differ between two objects made the same way (their own ids, times and names).
_VOLATILE = {'created', 'last_updated', 'name', '_name'}


def _data(snapshot):
    return {key: value for key, value in (snapshot or {}).items() if key not in _VOLATILE}


class ApplyTestCase(APITestCase):
    @classmethod
    def setUpTestData(cls):
        site = Site.objects.create(name='Site 1', slug='site-1')
        cluster_type = ClusterType.objects.create(name='Proxmox', slug='proxmox')
        cls.cluster = Cluster.objects.create(name='pve', type=cluster_type, scope=site)
        cls.tag = Tag.objects.create(name='Apply test', slug='apply-test')
        Tag.objects.create(name='Hidden', slug='hidden')

    def setUp(self):
        super().setUp()
        self.grant('view', model=Tag, constraints={'slug': self.tag.slug})

    def vm(self, name, **extra):
        return {'name': name, 'cluster': self.cluster.pk, 'status': 'active', 'vcpus': 2, 'memory': 1024,
                'tags': [{'slug': self.tag.slug}], **extra}  # fmt: skip

    def grant(self, *actions, model=VirtualMachine, constraints=None):
        permission = ObjectPermission(name=f'{actions}', actions=list(actions), constraints=constraints)
        permission.save()
        permission.object_types.add(ObjectType.objects.get_for_model(model))
        permission.users.add(self.user)

    def apply(self, action, objects, path=VMS, message='Proxbox sync #1'):
        body = {'path': path, 'action': action, 'objects': objects, 'changelog_message': message}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(APPLY, body, format='json', **self.header)

    def rest(self, method, objects, path=VMS):
        body = [{**obj, 'changelog_message': 'Proxbox sync #1'} for obj in objects]
        with self.captureOnCommitCallbacks(execute=True):
            return getattr(self.client, method)(path, body, format='json', **self.header)


class CapabilityTest(ApplyTestCase):
    def test_get_advertises_the_apply(self):
        self.assertHttpStatus(self.client.get(APPLY, **self.header), status.HTTP_403_FORBIDDEN)  # writes nothing
        self.grant('add')
        response = self.client.get(APPLY, **self.header)
        self.assertHttpStatus(response, status.HTTP_200_OK)
        self.assertEqual(response.data['version'], 1)
        self.assertIn('virtualization.virtualmachine', response.data['models'])

    def test_anonymous_is_refused(self):
        self.assertIn(self.client.get(APPLY).status_code, (401, 403))

    def test_an_endpoint_it_does_not_write_is_refused_whole(self):
        self.grant('add', model=Site)
        response = self.apply('create', [{'name': 'x'}], path='/api/users/users/')
        self.assertHttpStatus(response, status.HTTP_400_BAD_REQUEST)


class SameRecordsAsRestTest(ApplyTestCase):
    """Created and updated both ways: the same change records, search entries and event-rule jobs."""

    def setUp(self):
        super().setUp()
        self.grant('add', 'change', 'view')
        webhook = Webhook.objects.create(name='hook', payload_url='http://127.0.0.1:9/hook')
        rule = EventRule.objects.create(
            name='vm', event_types=[OBJECT_CREATED, OBJECT_UPDATED], action_type=EventRuleActionChoices.WEBHOOK,
            action_object_type=ObjectType.objects.get_for_model(Webhook), action_object_id=webhook.pk,
        )  # fmt: skip
        rule.object_types.add(ObjectType.objects.get_for_model(VirtualMachine))
        self.queue = django_rq.get_queue('default')
        self.queue.empty()

    def tearDown(self):
        self.queue.empty()
        super().tearDown()

    def changes(self, ids, action):
        vm_type = ContentType.objects.get_for_model(VirtualMachine)
        found = ObjectChange.objects.filter(changed_object_type=vm_type, changed_object_id__in=ids, action=action)
        return sorted(found, key=lambda change: change.changed_object_id)

    def jobs(self, ids):
        return sorted(
            (job.kwargs['event_type'], job.kwargs['data']['id'] in ids, job.kwargs['snapshots']['postchange']['vcpus'])
            for job in self.queue.jobs
            if 'event_rule' in job.kwargs and job.kwargs['data']['id'] in ids
        )

    def test_create_and_update(self):
        rest = self.rest('post', [self.vm('rest-1'), self.vm('rest-2')])
        self.assertHttpStatus(rest, status.HTTP_201_CREATED)
        inside = self.apply('create', [self.vm('inside-1'), self.vm('inside-2')])
        self.assertHttpStatus(inside, status.HTTP_200_OK)
        self.assertTrue(all(result['ok'] for result in inside.data['results']), inside.data)
        rest_ids = [obj['id'] for obj in rest.data]
        inside_ids = [result['id'] for result in inside.data['results']]

        for action in ('create',):
            pairs = zip(self.changes(rest_ids, action), self.changes(inside_ids, action), strict=True)
            for by_rest, by_apply in pairs:
                self.assertEqual(_data(by_apply.postchange_data), _data(by_rest.postchange_data))
                self.assertEqual((by_apply.user, by_apply.message), (by_rest.user, by_rest.message))
                self.assertIsNotNone(by_apply.request_id)
        self.assertEqual(len(self.changes(inside_ids, 'create')), 2)

        search = CachedValue.objects.filter(object_type=ObjectType.objects.get_for_model(VirtualMachine))
        rest_fields = sorted(search.filter(object_id=rest_ids[0]).values_list('field', 'weight'))
        self.assertEqual(sorted(search.filter(object_id=inside_ids[0]).values_list('field', 'weight')), rest_fields)
        self.assertTrue(search.filter(object_id=inside_ids[1], value='inside-2').exists())
        self.assertEqual(len(self.jobs(rest_ids)), 2)
        self.assertEqual(self.jobs(inside_ids), self.jobs(rest_ids))

        self.queue.empty()
        self.rest('patch', [{'id': pk, 'vcpus': 4} for pk in rest_ids])
        self.apply('update', [{'id': pk, 'vcpus': 4} for pk in inside_ids])
        by_rest, by_apply = self.changes(rest_ids, 'update'), self.changes(inside_ids, 'update')
        self.assertEqual(len(by_apply), 2)
        for rest_change, apply_change in zip(by_rest, by_apply, strict=True):
            self.assertEqual(_data(apply_change.prechange_data), _data(rest_change.prechange_data))
            self.assertEqual(_data(apply_change.postchange_data), _data(rest_change.postchange_data))
        self.assertEqual([job[0] for job in self.jobs(inside_ids)], [OBJECT_UPDATED] * 2)
        self.assertEqual(self.jobs(inside_ids), self.jobs(rest_ids))

    def test_an_update_that_changes_nothing_records_no_change(self):
        inside = self.apply('create', [self.vm('same')])
        pk = inside.data['results'][0]['id']
        self.apply('update', [{'id': pk, 'vcpus': 2}])
        self.assertEqual(self.changes([pk], 'update'), [])


class ValidationTest(ApplyTestCase):
    """A refused object gets NetBox's own message; the rest of its batch lands."""

    def setUp(self):
        super().setUp()
        self.grant('add', 'change', 'view')

    def test_unique_name_and_unknown_reference(self):
        VirtualMachine.objects.create(name='taken', cluster=self.cluster)
        objects = [self.vm('fine-1'), self.vm('taken'), self.vm('fine-2', platform=999999), self.vm('fine-3')]
        response = self.apply('create', objects)
        results = response.data['results']
        self.assertEqual([result['ok'] for result in results], [True, False, False, True])
        self.assertIn('must be unique', results[1]['error'])
        self.assertEqual(
            results[2]['error'], 'platform: Related object not found using the provided numeric ID: 999999'
        )
        self.assertEqual(VirtualMachine.objects.filter(name__startswith='fine-').count(), 2)
        self.assertFalse(ObjectChange.objects.filter(object_repr='fine-2').exists())

    def test_model_clean_rules_hold(self):
        response = self.apply('create', [self.vm('no-memory', memory=-1), self.vm('bad-status', status='nope')])
        errors = [result['error'] for result in response.data['results']]
        self.assertTrue(errors[0].startswith('memory:'), errors)
        self.assertTrue(errors[1].startswith('status:'), errors)
        self.assertEqual(VirtualMachine.objects.count(), 0)

    def test_signals_keep_the_vm_disk_total(self):
        vm = VirtualMachine.objects.create(name='disks', cluster=self.cluster)
        self.grant('add', model=VirtualDisk)
        disks = [{'virtual_machine': vm.pk, 'name': f'scsi{i}', 'size': 1000} for i in range(3)]
        response = self.apply('create', disks, path='/api/virtualization/virtual-disks/')
        self.assertTrue(all(result['ok'] for result in response.data['results']), response.data)
        vm.refresh_from_db()
        self.assertEqual(vm.disk, 3000)


class PermissionTest(ApplyTestCase):
    """The model permission for the action, constrained object permissions, write-enabled tokens."""

    def test_without_the_model_permission_nothing_is_written(self):
        self.grant('view')
        response = self.apply('create', [self.vm('nope')])
        self.assertHttpStatus(response, status.HTTP_403_FORBIDDEN)
        self.assertEqual(VirtualMachine.objects.count(), 0)

    def test_constrained_permission_refuses_only_the_objects_outside_it(self):
        self.grant('add', 'view', constraints={'name__startswith': 'ok-'})
        response = self.apply('create', [self.vm('ok-1'), self.vm('other'), self.vm('ok-2')])
        results = response.data['results']
        self.assertEqual([result['ok'] for result in results], [True, False, True])
        self.assertEqual(results[1]['status'], 403)
        self.assertEqual(sorted(VirtualMachine.objects.values_list('name', flat=True)), ['ok-1', 'ok-2'])

    def test_update_and_delete_only_what_the_user_may(self):
        mine = VirtualMachine.objects.create(name='ok-mine', cluster=self.cluster)
        theirs = VirtualMachine.objects.create(name='theirs', cluster=self.cluster)
        self.grant('change', 'delete', 'view', constraints={'name__startswith': 'ok-'})
        updated = self.apply('update', [{'id': mine.pk, 'vcpus': 8}, {'id': theirs.pk, 'vcpus': 8}])
        self.assertEqual([result['ok'] for result in updated.data['results']], [True, False])
        deleted = self.apply('delete', [{'id': mine.pk}, {'id': theirs.pk}, {'id': 999999}, 'not an object'])
        self.assertEqual([r['ok'] for r in deleted.data['results']], [True, False, True, False])
        self.assertEqual([r['status'] for r in deleted.data['results']], [204, 403, 404, 400])
        self.assertEqual(list(VirtualMachine.objects.values_list('name', flat=True)), ['theirs'])
        self.assertTrue(ObjectChange.objects.filter(changed_object_id=mine.pk, action='delete').exists())

    def test_tags_by_slug_only_when_the_user_may_view_them(self):
        self.grant('add', 'view')
        response = self.apply('create', [self.vm('tagged', tags=[{'slug': 'hidden'}])])
        self.assertIn("Related object not found using the provided attributes: {'slug': 'hidden'}",
                      response.data['results'][0]['error'])  # fmt: skip
        self.assertTrue(self.apply('create', [self.vm('tagged')]).data['results'][0]['ok'])

    def test_read_only_token_is_refused(self):
        self.grant('add')
        self.token.write_enabled = False
        self.token.save()
        self.assertHttpStatus(self.apply('create', [self.vm('ro')]), status.HTTP_403_FORBIDDEN)


class BatchedChecksTest(ApplyTestCase):
    """The checks the apply makes once per batch (custom-field uniqueness, tag object types, config-context
    invalidation, the change record's many-to-many values) answer as NetBox's per-object ones do."""

    def setUp(self):
        super().setUp()
        self.grant('add', 'change', 'view')
        self.field = CustomField.objects.create(name='pve_id', type='text', unique=True)
        self.field.object_types.add(ObjectType.objects.get_for_model(VirtualMachine))

    def test_unique_custom_field_against_the_database_and_the_batch(self):
        VirtualMachine.objects.create(name='holder', cluster=self.cluster, custom_field_data={'pve_id': 'held'})
        VirtualMachine.objects.create(name='other', cluster=self.cluster, custom_field_data={'pve_id': 'x'})
        objects = [self.vm(f'u{i}', custom_fields={'pve_id': value}) for i, value in enumerate(('a', 'held', 'a', 'b'))]
        response = self.apply('create', objects)
        results = response.data['results']
        self.assertEqual([result['ok'] for result in results], [True, False, False, True], results)
        by_rest = self.rest('post', [self.vm('rest-dup', custom_fields={'pve_id': 'held'})])
        self.assertHttpStatus(by_rest, status.HTTP_400_BAD_REQUEST)
        self.assertIn(results[1]['error'], str(by_rest.data))
        self.assertEqual(results[2]['error'], results[1]['error'])
        # An update may keep its own value, and take one another object gives up in the same batch.
        ids = {vm.name: vm.pk for vm in VirtualMachine.objects.all()}
        swapped = self.apply('update', [
            {'id': ids['u0'], 'custom_fields': {'pve_id': 'a'}},
            {'id': ids['u3'], 'custom_fields': {'pve_id': 'c'}},
            {'id': ids['holder'], 'custom_fields': {'pve_id': 'b'}},
            {'id': ids['other'], 'custom_fields': {'pve_id': 'c'}},
        ])  # fmt: skip
        self.assertEqual([result['ok'] for result in swapped.data['results']], [True, True, True, False])
        self.assertEqual(VirtualMachine.objects.get(pk=ids['holder']).custom_field_data['pve_id'], 'b')
        # NetBox's own check is back once the batch is over (its request cache was restored).
        self.assertTrue(CustomField.objects.get_for_model(VirtualMachine)[0].unique)

    def test_a_tag_limited_to_other_object_types_is_refused(self):
        limited = Tag.objects.create(name='Sites only', slug='sites-only')
        limited.object_types.add(ObjectType.objects.get_for_model(Site))
        self.grant('view', model=Tag)
        objects = [self.vm('plain'), self.vm('limited', tags=[{'slug': 'sites-only'}])]
        results = self.apply('create', objects).data['results']
        by_rest = self.rest('post', [self.vm('rest-limited', tags=[{'slug': 'sites-only'}])])
        self.assertHttpStatus(by_rest, status.HTTP_400_BAD_REQUEST)
        self.assertEqual([result['ok'] for result in results], [True, False])
        self.assertEqual(results[1]['error'], 'Tag Sites only cannot be assigned to virtualmachine objects.')
        self.assertIn(results[1]['error'], str(by_rest.data))
        self.assertEqual(list(VirtualMachine.objects.values_list('name', flat=True)), ['plain'])

    def test_tagged_vms_config_context_is_invalidated_as_through_rest(self):
        ConfigContext.objects.create(name='by tag', data={'from': 'tag'}).tags.add(self.tag)
        with patch.object(RenderConfigContextJob, 'enqueue_once') as enqueue:
            rest = self.rest('post', [self.vm('cc-rest')])
            created = self.apply('create', [self.vm('cc-1'), self.vm('cc-2')])
        self.assertTrue(enqueue.called)
        by_rest = VirtualMachine.objects.get(pk=rest.data[0]['id'])
        for result in created.data['results']:
            vm = VirtualMachine.objects.get(pk=result['id'])
            self.assertIsNone(vm._config_context_data)
            self.assertEqual(vm._config_context_generation, by_rest._config_context_generation)
            self.assertEqual(vm.get_config_context(), {'from': 'tag'})

    def test_change_record_lists_the_interface_m2m_fields_as_rest_does(self):
        vm = VirtualMachine.objects.create(name='nics', cluster=self.cluster)
        self.grant('add', model=VMInterface)
        path = '/api/virtualization/interfaces/'
        nic = {'virtual_machine': vm.pk, 'tagged_vlans': [], 'tags': [{'slug': self.tag.slug}]}
        rest = self.rest('post', [{**nic, 'name': 'rest0'}], path=path)
        inside = self.apply('create', [{**nic, 'name': 'in0'}, {'virtual_machine': vm.pk, 'name': 'in1'}], path=path)
        self.assertTrue(all(result['ok'] for result in inside.data['results']), inside.data)
        nic_type = ContentType.objects.get_for_model(VMInterface)
        change = {
            record.changed_object_id: _data(record.postchange_data)
            for record in ObjectChange.objects.filter(changed_object_type=nic_type)
        }  # fmt: skip
        rest_id, (first, second) = rest.data[0]['id'], (result['id'] for result in inside.data['results'])
        self.assertEqual(change[first], change[rest_id])
        self.assertEqual((change[second]['tags'], change[second]['tagged_vlans']), ([], []))
