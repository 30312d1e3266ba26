import { installAutomation } from './app/automation';

installAutomation();
// `?automation`: the command line drives the pipeline only; no UI is rendered (nor fonts needed,
// which a bare GPU machine lacks).
if (!new URLSearchParams(location.search).has('automation')) void import('./app/dualface-app');
