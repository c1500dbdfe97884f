// Ansible host patterns over the inventory.
import { describe, expect, it } from 'vitest';
import { limitHosts, selectHosts } from '../../electron/services/provision/hosts';

const inv = {
  hosts: ['node-01', 'node-02', 'node-03', 'node-04', 'gw'],
  groups: { workers: ['node-01', 'node-02', 'node-03'], storage: ['node-03', 'node-04'] },
};

describe('selectHosts', () => {
  it.each([
    ['all', ['node-01', 'node-02', 'node-03', 'node-04', 'gw']],
    ['*', ['node-01', 'node-02', 'node-03', 'node-04', 'gw']],
    ['workers', ['node-01', 'node-02', 'node-03']],
    ['ungrouped', ['gw']],
    ['gw', ['gw']],
    ['node-0*', ['node-01', 'node-02', 'node-03', 'node-04']],
    ['workers:storage', ['node-01', 'node-02', 'node-03', 'node-04']],
    ['workers,gw', ['node-01', 'node-02', 'node-03', 'gw']],
    ['workers:&storage', ['node-03']],
    ['workers:!node-02', ['node-01', 'node-03']],
    ['all:!storage:!gw', ['node-01', 'node-02']],
    ['~node-0[12]', ['node-01', 'node-02']],
    ['nothing', []],
  ])('%s', (pattern, want) => {
    expect(selectHosts(inv, pattern)).toEqual(want);
  });

  it('takes a YAML list of patterns and applies --limit on top', () => {
    expect(selectHosts(inv, ['storage', 'gw'])).toEqual(['node-03', 'node-04', 'gw']);
    expect(limitHosts(inv, selectHosts(inv, 'all'), 'workers:!node-01')).toEqual(['node-02', 'node-03']);
    expect(limitHosts(inv, ['node-01'], undefined)).toEqual(['node-01']);
  });
});
