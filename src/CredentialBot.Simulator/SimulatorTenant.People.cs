using System.Security.Cryptography;

namespace CredentialBot.Simulator;

public sealed partial class SimulatorTenant
{
    /// <summary>PIM schedule requests received, in order.</summary>
    public IReadOnlyList<SimRoleAssignmentRequest> RoleAssignmentRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _roleRequests];
            }
        }
    }

    public SimGroup AddGroup(SimGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        lock (_gate)
        {
            _groups[group.Id] = group;
            return group;
        }
    }

    /// <summary>
    /// The users in the group, directly or through nested groups, each once (deleted users are no members); null when
    /// there is no such group.
    /// </summary>
    public IReadOnlyList<SimUser>? UsersInGroup(string groupId)
    {
        lock (_gate)
        {
            if (!_groups.ContainsKey(groupId))
            {
                return null;
            }

            var users = new List<SimUser>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Stack<string>([groupId]);
            while (pending.TryPop(out var current))
            {
                if (!seen.Add(current))
                {
                    continue;
                }

                if (_groups.TryGetValue(current, out var group))
                {
                    foreach (var member in group.MemberIds.Reverse())
                    {
                        pending.Push(member);
                    }
                }
                else if (_users.TryGetValue(current, out var user))
                {
                    users.Add(user);
                }
            }

            return users;
        }
    }

    /// <summary>True when <paramref name="memberId"/> is in the group directly or through nested groups.</summary>
    public bool IsMember(string memberId, string groupId)
    {
        lock (_gate)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var pending = new Stack<string>([groupId]);
            while (pending.TryPop(out var current))
            {
                if (!seen.Add(current) || !_groups.TryGetValue(current, out var group))
                {
                    continue;
                }

                foreach (var member in group.MemberIds)
                {
                    if (string.Equals(member, memberId, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }

                    pending.Push(member);
                }
            }

            return false;
        }
    }

    internal void RecordRoleRequest(SimRoleAssignmentRequest request)
    {
        lock (_gate)
        {
            _roleRequests.Add(request);
        }
    }

    public SimUser AddUser(SimUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate)
        {
            _users[user.Id] = user;
            _usersByUpn[user.UserPrincipalName] = user;
            return user;
        }
    }

    /// <summary>
    /// Deletes a user. Like Graph, the Simulator then lists them nowhere — not under <c>/users</c>, not among owners — and
    /// owner changes are no application changes, so delta does not report the Apps they owned.
    /// </summary>
    public bool RemoveUser(string id)
    {
        lock (_gate)
        {
            if (!_users.Remove(id, out var user))
            {
                return false;
            }

            _usersByUpn.Remove(user.UserPrincipalName);
            return true;
        }
    }

    /// <summary>A user by object id or user principal name.</summary>
    public SimUser? FindUser(string idOrUpn)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(idOrUpn) ?? _usersByUpn.GetValueOrDefault(idOrUpn);
        }
    }

    public SimUser? FindUserByMail(string mail)
    {
        lock (_gate)
        {
            return _users.Values.FirstOrDefault(u => string.Equals(u.Mail, mail, StringComparison.OrdinalIgnoreCase));
        }
    }
}
