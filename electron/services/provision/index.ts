// Provisioning: Ansible-compatible playbooks run by Bramble over its own SSH
// connections, or exported to and run by ansible-playbook.
export { runPlaybook, type RunPlaybookOptions } from './runner';
export { parsePlaybook, PlaybookError, type Playbook, type Play, type Task } from './playbook';
export type { ProvisionEvent, Recap, HostRecap, TaskStatus, TaskOutput } from './events';
export { recapSucceeded } from './events';
export { formatRecap } from './recap';
export { selectHosts, limitHosts } from './hosts';
export { ansibleInventory, ansibleConfig, exportAnsibleProject, type ProjectExportOptions } from './ansible-export';
export { findAnsiblePlaybook, runWithAnsible, type AnsibleRunOptions } from './ansible-runner';
export { BUILTIN_PLAYBOOKS, builtinPlaybookPath } from './builtin';
