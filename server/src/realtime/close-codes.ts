/**
 * Every close code the live server sends, in one place. The y-websocket client stops
 * reconnecting on 4400–4499, so those mean "reconnecting cannot fix this"; the others make
 * it back off and try again.
 */
export const CloseCode = {
  /**
   * Service restart (SIGTERM drain): the phone reconnects at once, through the balancer to
   * another instance.
   */
  serviceRestart: 1012,
  /** A frame above the size limit (ws sends this itself from maxPayload). */
  messageTooBig: 1009,
  /** A bug on the server side while handling a message. */
  internalError: 1011,
  /**
   * Try again later: the database refused a write (nothing was accepted), the socket sent
   * messages faster than its rate limit, went past its or its user's byte or server-time
   * budget (`limits.ts`; the reason says which), or it reads too slowly. The client backs
   * off and resyncs, so nothing it holds is lost.
   */
  tryAgainLater: 1013,
  /** The user's rights on this document changed: reconnect to get the new ones. */
  rightsChanged: 4000,
  /** A frame that is not a valid binary y-protocol message. */
  malformed: 4400,
  /** The session ended (logout, password changed elsewhere). */
  sessionEnded: 4401,
  /** The user may not open this document. */
  forbidden: 4403,
  /** No feature serves documents of this name. */
  unknownDocument: 4404,
  /** A read-only client kept sending updates. */
  readOnly: 4405,
  /** The document would grow past its size limit. */
  documentTooLarge: 4413,
  /** Too many open sockets for this user: reconnecting would only be refused again. */
  tooMany: 4429,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
