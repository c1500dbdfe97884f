// The ansible-playbook stdout callback Bramble writes into an exported project
// (callback_plugins/bramble_jsonl.py). Kept as text so a bundled app needs no extra asset.
export const BRAMBLE_JSONL_CALLBACK = String.raw`# Bramble's stdout callback for ansible-playbook: one JSON object per line with
# the same event shapes as Bramble's own runner (play-start, task-start,
# task-result, recap). ansible-core ships no JSON stdout callback (that is in
# the ansible.posix collection), so Bramble brings this one with the export.
from __future__ import annotations

import json
import sys
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
    name: bramble_jsonl
    type: stdout
    short_description: JSON lines for Bramble
    description: One JSON event per line (play-start, task-start, task-result, recap).
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'bramble_jsonl'

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._play = ''
        self._started = {}

    def _emit(self, obj):
        sys.stdout.write(json.dumps(obj, default=str) + '\n')
        sys.stdout.flush()

    def v2_playbook_on_play_start(self, play):
        self._play = play.get_name().strip()
        hosts = []
        try:
            hosts = [h.name for h in play.get_variable_manager()._inventory.get_hosts(play.hosts)]
        except Exception:
            pass
        self._emit({'type': 'play-start', 'play': self._play, 'hosts': hosts})

    def v2_runner_on_start(self, host, task):
        self._started[(host.get_name(), task._uuid)] = time.time()
        self._emit({'type': 'task-start', 'play': self._play, 'task': task.get_name().strip(), 'host': host.get_name()})

    def _result(self, result, status, ignored=False):
        r = result._result
        host = result._host.get_name()
        start = self._started.pop((host, result._task._uuid), time.time())
        out = {}
        for k in ('rc', 'stdout', 'stderr'):
            if k in r:
                out[k] = r[k]
        if 'results' in r and isinstance(r['results'], list):
            items = []
            for i in r['results']:
                st = 'failed' if i.get('failed') else 'skipped' if i.get('skipped') else 'changed' if i.get('changed') else 'ok'
                items.append({'item': i.get('item'), 'status': st, **({'msg': i['msg']} if isinstance(i.get('msg'), str) else {})})
            out['items'] = items
        ev = {'type': 'task-result', 'play': self._play, 'task': result._task.get_name().strip(), 'host': host, 'status': status,
              'durationMs': int((time.time() - start) * 1000)}
        if ignored:
            ev['ignored'] = True
        if isinstance(r.get('msg'), str):
            ev['msg'] = r['msg']
        if out:
            ev['output'] = out
        self._emit(ev)

    def v2_runner_on_ok(self, result):
        self._result(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result(result, 'failed', ignored=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._result(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._result(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        recap = {}
        for h in sorted(stats.processed.keys()):
            s = stats.summarize(h)
            recap[h] = {'ok': s['ok'], 'changed': s['changed'], 'unreachable': s['unreachable'], 'failed': s['failures'],
                        'skipped': s['skipped'], 'rescued': s['rescued'], 'ignored': s['ignored']}
        self._emit({'type': 'recap', 'recap': recap})
`;
