// Every workflow the worker registers (its bundle entry point).
export { invoiceWorkflow } from './invoice/workflow';
export { connectionTrackerWorkflow } from './tracker/workflow';
export { connectionWorkflow } from './connection/workflow';
