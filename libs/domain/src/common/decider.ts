/**
 * A decider (Jérémie Chassaing's pattern, as in Emmett): `decide` turns a command and the folded state
 * into new events or a refusal; `evolve` folds one event into the state. Both are pure: the handler
 * passes the time, the actor and whatever the rule needs from outside the stream in `context`.
 */
export type Decider<Command, Event, State, Context> = Readonly<{
  decide: (command: Command, state: State, context: Context) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: State;
}>;

/** The state a stream's events fold into. */
export function foldEvents<Event, State>(
  decider: Pick<Decider<never, Event, State, never>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
