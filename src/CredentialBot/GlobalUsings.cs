global using CredentialBot.Store.Entities;
global using CredentialBot.Store.Services;
