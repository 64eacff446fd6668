import { formatIssues, SchemaValidator } from '../harness/schema-validator';
import { checkWiring, formatViolations } from '../harness/wiring-checker';

/** Require every object to pass the schema validator and the set to pass the wiring checker; returns the objects. */
export function expectValid(objs: any[], namespace = 'llm'): any[] {
  expect(formatIssues(SchemaValidator.get().validateAll(objs))).toBe('');
  expect(formatViolations(checkWiring(objs, { namespace }))).toBe('no wiring violations');
  return objs;
}
