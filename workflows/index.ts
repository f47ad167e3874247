// Every workflow the worker registers (its bundle entry point).
export { connectivitySmokeWorkflow } from './smoke';
