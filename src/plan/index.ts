export { Plan } from './plan';
export { type WorkloadPlan, type WorkloadCapacity, type CrdRequirement, type ControllerRequirement, type ExternalReference, type PlanTotals } from './types';
