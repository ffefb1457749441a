/** One tool call an oracle sim agent makes. */
export interface SimulatedCall {
  name: string;
  input: unknown;
}

/**
 * What an oracle sim agent does on one sample, written by the suite from the sample's reference: the
 * questions it asks the simulated user, the calls it makes (one per step), and the texts it ends with.
 * It is a script, not a solver: the sim agent knows the answer and errs only at its injected rates.
 */
export interface SimulationPlan {
  questions: string[];
  calls: SimulatedCall[];
  /** The calls of a wrong attempt, when being wrong means doing something else (a wrong patch). */
  wrongCalls: SimulatedCall[] | null;
  /** A call the tool rejects as an argument error (invalid SQL, a missing file). */
  malformedCall: SimulatedCall;
  answer: string;
  wrongAnswer: string;
  /** A wrong answer that names an entity outside the suite's catalog. */
  hallucinatedAnswer: string;
  /** What the agent says when it stops without answering. */
  prematureText: string;
}
