import {
  createSourceEventStream,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  locatedError,
  type SelectionSetNode,
} from 'graphql';

import type { Delivery } from './feeds';

/**
 * graphql-ws's `subscribe`: the source stream of the subscription field, each delivery sent as it is.
 * graphql-js would execute the selection again over every payload for every subscriber; here the payload
 * already is the federated result of exactly that selection (resolved once per feed), so each subscriber
 * costs only its own message.
 */
export async function subscribeWithResolvedPayloads(
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream as AsyncIterableIterator<Delivery>;
  const operation = getOperationAST(args.document, args.operationName)!;
  const fragments = Object.fromEntries(
    args.document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  const field = rootFieldOf(operation.selectionSet, fragments);
  const responseKey = field.alias?.value ?? field.name.value;
  const resultOf = (delivery: Delivery): ExecutionResult =>
    'error' in delivery
      ? { data: null, errors: [locatedError(delivery.error, [field], [responseKey])] }
      : { data: { [responseKey]: delivery.payload } };
  const results: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => results,
    next: async () => {
      const next = await source.next();
      return next.done ? { done: true, value: undefined } : { done: false, value: resultOf(next.value) };
    },
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  return results;
}

/** A subscription has exactly one root field (validation makes sure), possibly inside fragments. */
function rootFieldOf(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) return selection;
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : fragments[selection.name.value]?.selectionSet;
    if (inner) return rootFieldOf(inner, fragments);
  }
  throw new Error('subscription without a root field');
}
