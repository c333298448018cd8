/**
 * Auth: registers users and vouches for customers in the order-validation chain.
 */
import type { Context } from '@sigscope/core';
import { EmailTakenError, UnknownCustomerError } from '../errors.js';
import type { ShopEvents } from '../events.js';

export interface User {
  readonly id: string;
  readonly email: string;
  readonly name: string;
  readonly registeredAt: string;
}

export interface RegistrationInput {
  readonly email: string;
  readonly name: string;
}

export interface AuthPackage {
  /** Stores a user and emits `user.registered`; rejects with EmailTakenError on a duplicate. */
  register(input: RegistrationInput, ctx?: Context): Promise<User>;
  listUsers(): readonly User[];
}

/** Listener key of the validation-chain link that auth owns. */
export const VALIDATE_CUSTOMER = 'auth.validate-customer';

export function createAuth(events: ShopEvents): AuthPackage {
  const usersById = new Map<string, User>();
  const userIdsByEmail = new Map<string, string>();

  events.validateOrder.addListener(function validateCustomer(order) {
    if (!usersById.has(order.customerId)) {
      throw new UnknownCustomerError(order.customerId, VALIDATE_CUSTOMER);
    }
  }, VALIDATE_CUSTOMER);

  async function register(input: RegistrationInput, ctx: Context = {}): Promise<User> {
    const email = input.email.trim().toLowerCase();
    if (userIdsByEmail.has(email)) throw new EmailTakenError(email);

    const user: User = {
      id: `u-${usersById.size + 1}`,
      email,
      name: input.name.trim(),
      registeredAt: new Date().toISOString(),
    };
    usersById.set(user.id, user);
    userIdsByEmail.set(email, user.id);

    await events.userRegistered.emit(
      { ...events.nextMeta(), userId: user.id, email: user.email, name: user.name },
      ctx,
    );
    return user;
  }

  return {
    register,
    listUsers: () => [...usersById.values()],
  };
}
