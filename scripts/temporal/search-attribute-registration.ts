import type { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { cliTypeOf, type CustomSearchAttributeKey } from '../../workflows/contracts/search-attributes';

/** `--search-attribute Name=Type` for each key: registers them when the dev server creates its database. */
export function searchAttributeArgs(keys: readonly CustomSearchAttributeKey[]): string[] {
  return keys.flatMap((key) => ['--search-attribute', `${key.name}=${cliTypeOf(key)}`]);
}

/**
 * Registers the keys the namespace does not have yet. The dev server ignores `--search-attribute` when it
 * reopens an existing SQLite file, so a restart after a new attribute was added needs this.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  keys: readonly CustomSearchAttributeKey[],
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = keys.filter((key) => !(key.name in customAttributes));
  const wrongType = keys.filter(
    (key) =>
      key.name in customAttributes &&
      customAttributes[key.name] !== encodeSearchAttributeIndexedValueType(key.type),
  );
  if (wrongType.length > 0) {
    const names = wrongType.map((key) => `${key.name} (expected ${cliTypeOf(key)})`).join(', ');
    throw new Error(`search attributes registered with another type: ${names}; use a fresh database file`);
  }
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
      ),
    });
  } catch (err) {
    // Another process may have registered them in the meantime.
    if (!/already exists/i.test((err as Error).message)) throw err;
  }
  return missing.map((key) => key.name);
}
